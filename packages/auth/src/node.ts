// @simcel/auth/node: the parts that need Node.js (the file system), kept out of the main entry so browser
// and worker bundles of @simcel/auth never see a node: import.
export { createFileTokenStore, defaultTokenStoreDir, type FileTokenStoreOptions } from "./file-token-store.js";
