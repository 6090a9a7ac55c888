/**
 * zod as the workflow bundle preloads it (worker/worker.ts): evaluated once per worker and shared,
 * frozen, by every flow. zod fills some of its module state on first use, which a frozen module
 * refuses; this fills it before the freeze, with what zod would have chosen itself.
 *
 * Flows parse without zod's compiled parsers (`jitless`): zod compiles one per object schema on
 * its first parse, and every flow has schemas of its own that it parses only a few times, so each
 * flow paid for compiling parsers it hardly used.
 */
import { z } from 'zod';

z.config(z.locales.en());
z.config({ memoizer: z.memoizer(), jitless: true });
// Whether compiled parsers may be used (under `jitless`, no), cached in a module object.
void z.util.allowsEval.value;
