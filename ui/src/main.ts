import { mount } from "svelte";
import App from "./App.svelte";
import "./app.css";
import { AppState } from "./state/app.svelte";

const target = document.getElementById("app");
if (target === null) throw new Error("index.html has no #app element");

const app = new AppState();
mount(App, { target, props: { app } });
void app.start();
