// vitest setupFiles: the env guard before any test module loads Firebase code.
import '../src/env.js';
