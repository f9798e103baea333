import { describe, expect, it } from "vitest";
import { defang, showIndicator } from "./defang";

describe("defang", () => {
  it("brackets the last dot of an IPv4 address", () => {
    expect(defang("203.0.113.7")).toBe("203.0.113[.]7");
  });

  it("brackets every dot of a domain", () => {
    expect(defang("example.com")).toBe("example[.]com");
    expect(defang("c2-relay.evil.example.net")).toBe("c2-relay[.]evil[.]example[.]net");
  });

  it("brackets every colon of an IPv6 address", () => {
    expect(defang("2001:db8::1")).toBe("2001[:]db8[:][:]1");
  });

  it("turns a leading http scheme into hxxp", () => {
    expect(defang("http://bad.example/path")).toBe("hxxp://bad[.]example/path");
    expect(defang("HTTPS://bad.example")).toBe("hxxps://bad[.]example");
  });

  it("leaves a value without dots or colons as it is", () => {
    expect(defang("localhost")).toBe("localhost");
    expect(defang("")).toBe("");
  });

  it("treats a dotted value that is not an address as a domain", () => {
    expect(defang("999.1.2.3.4")).toBe("999[.]1[.]2[.]3[.]4");
  });

  it("keeps markup characters as they are, for the caller to render as text", () => {
    expect(defang("<img src=x onerror=alert(1)>.example")).toBe(
      "<img src=x onerror=alert(1)>[.]example",
    );
  });
});

describe("showIndicator", () => {
  it("defangs unless plain is asked for", () => {
    expect(showIndicator("c2-relay.example", false)).toBe("c2-relay[.]example");
    expect(showIndicator("c2-relay.example", true)).toBe("c2-relay.example");
  });
});
