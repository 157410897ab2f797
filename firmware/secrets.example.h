// Copy to secrets.h (git-ignored) and fill in, or use the one `npm run provision` prints for the
// device (the same names). README.md "secrets.h" explains every value.
#pragma once
#define FIRELINK_SECRETS 1

#define FIRELINK_WIFI_SSID "your-wifi"
#define FIRELINK_WIFI_PASSWORD "your-wifi-password"

// Production: the Web API key of your Firebase project (Project settings), the device's shard
// and the default instance, which holds the shard directory (docs/scaling.md).
#define FIRELINK_API_KEY "demo-api-key"
#define FIRELINK_DATABASE_URL "https://demo-firelink-default-rtdb.firebaseio.com"
#define FIRELINK_DIRECTORY_URL "https://demo-firelink-default-rtdb.firebaseio.com"
// Production: leave FIRELINK_AUTH_EMULATOR_HOST undefined (Google's hosts over TLS).

// Local emulators on your LAN instead (they must listen on the LAN address, README "LAN"):
// #define FIRELINK_DATABASE_URL "http://192.168.1.20:9000/?ns=demo-firelink-default-rtdb"
// #define FIRELINK_DIRECTORY_URL "http://192.168.1.20:9000/?ns=demo-firelink-default-rtdb"
// #define FIRELINK_AUTH_EMULATOR_HOST "192.168.1.20:9099"

// From `npm run provision -- --device <id> --owner <uid>`.
#define FIRELINK_DEVICE_ID "dev-1"
#define FIRELINK_DEVICE_EMAIL "dev-1@devices.firelink.local"
// Undefined: the password is typed on the keypad at every boot (# submits, * erases).
// #define FIRELINK_DEVICE_PASSWORD "..."
