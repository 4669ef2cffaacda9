#!/usr/bin/env node
// The CLI is TypeScript run through tsx's loader, so there is no separate build step (see docs/decisions/002).
import { register } from "tsx/esm/api";

register();
await import("../cli/main.ts");
