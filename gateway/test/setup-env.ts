// Loaded first by vitest (setupFiles): the stack's env guard points every Firebase SDK at loopback
// emulator hosts and a demo-* project before any Firebase code is imported.
import '@firelink/stack/env';
