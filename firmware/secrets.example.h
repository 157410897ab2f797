// Copy to secrets.h (git-ignored) and fill in. README.md "secrets.h" explains every value.
#pragma once
#define FIRELINK_SECRETS 1

#define WIFI_SSID "your-wifi"
#define WIFI_PASSWORD "your-wifi-password"

// Production: the Web API key and database URL of your Firebase project (Project settings).
#define FIREBASE_API_KEY "demo-api-key"
#define FIREBASE_DATABASE_URL "https://demo-firelink-default-rtdb.firebaseio.com"
#define FIREBASE_NAMESPACE nullptr            // production: nullptr
#define FIREBASE_AUTH_EMULATOR_HOST nullptr   // production: nullptr (Google's hosts over TLS)

// Local emulators on your LAN instead (they must listen on the LAN address, README "LAN"):
// #define FIREBASE_DATABASE_URL "http://192.168.1.20:9000"
// #define FIREBASE_NAMESPACE "demo-firelink-default-rtdb"
// #define FIREBASE_AUTH_EMULATOR_HOST "192.168.1.20:9099"

// From `npm run provision -- --device <id> --owner <uid>`.
#define DEVICE_ID "dev-1"
#define DEVICE_EMAIL "dev-1@devices.firelink.local"
// nullptr: the password is typed on the keypad at every boot (# submits, * erases).
#define DEVICE_PASSWORD nullptr
