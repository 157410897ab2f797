// The RTDB toolkit: keys, paths, key and value order, push ids and the put/patch merge, as the
// firebase SDK defines them. Free of zod so the emulator and the browser can import it alone
// (`@firelink/model/rtdb`); the model's index re-exports it.
export * from './keys.js';
export * from './paths.js';
export * from './tree.js';
export * from './order.js';
export * from './push-id.js';
