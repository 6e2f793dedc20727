// The configuration every test file starts with (test/support/app-env.ts),
// before any app module reads it.
import { configure } from "../app/config.server";
import { testAppEnv } from "./support/app-env";

configure(testAppEnv());
