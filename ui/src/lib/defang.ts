/**
 * Defanging: writing an indicator so that no terminal, chat or ticket turns it into a live link
 * or a lookup when the analyst pastes it. The plain value is always kept beside it for copying.
 */

const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;
const IPV6 = /^[0-9a-f:.]+$/i;

/**
 * Defangs one indicator value.
 *
 * - IPv4: the last dot is bracketed, the usual form (`203.0.113[.]7`).
 * - IPv6: every colon is bracketed (`2001[:]db8[:][:]1`).
 * - Anything else is treated as a domain: every dot is bracketed (`c2[.]example[.]com`), and a
 *   leading `http`/`https` scheme becomes `hxxp`/`hxxps`, so no part of a long name stays linkable.
 */
export function defang(value: string): string {
  if (IPV4.test(value)) {
    const last = value.lastIndexOf(".");
    return `${value.slice(0, last)}[.]${value.slice(last + 1)}`;
  }
  if (value.includes(":") && IPV6.test(value)) {
    return value.replaceAll(":", "[:]");
  }
  const scheme = /^http(s?):\/\//i;
  return value
    .replace(scheme, (_match, secure: string) => `hxxp${secure.toLowerCase()}://`)
    .replaceAll(".", "[.]");
}

/** The value as the analyst asked to see it: defanged unless `plain`. */
export function showIndicator(value: string, plain: boolean): string {
  return plain ? value : defang(value);
}
