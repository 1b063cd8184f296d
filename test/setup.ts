import { afterAll } from "vitest";
import { verifyFakes } from "./fake-github/server.js";

// Every fake GitHub a test file starts is checked after the file (after its own afterAll hooks): a request
// no route answered, or a route no request used, fails the file, so a fake cannot hide a dead route.
afterAll(() => verifyFakes());
