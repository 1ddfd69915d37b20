// The version of the library this code is built into: each library's build defines __SIMCEL_SDK_VERSION__ from its
// package.json (tsdown.library.ts); run from source (tests), it is a development version.
declare const __SIMCEL_SDK_VERSION__: string | undefined;

/** The version of the library making the call, as the User-Agent and traces name it. */
export const SDK_VERSION: string = typeof __SIMCEL_SDK_VERSION__ === "string" ? __SIMCEL_SDK_VERSION__ : "0.0.0-dev";
