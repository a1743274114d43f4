// Runs in the browser before the app's own code. Zod probes `new Function("")` to decide whether
// to compile fast parsers; under our CSP (no 'unsafe-eval') that probe is refused and reported as a
// violation on every page with a form schema, although zod then parses without it. jitless skips
// the probe (docs/decisions/0005).
import { z } from "zod";

z.config({ jitless: true });
