export { TokenManager, type TokenCertificate, type TokenManagerOptions, type RefreshOptions } from './token-manager.js';
export { Token } from './token.js';
export { Pkcs11Module, type ModuleStatus } from './module.js';
export { discoverModules, type ModuleCandidate } from './discovery.js';
export { planSign, digestInfo, hostHash, HASH_LENGTH, type SignRequest, type SignAlgorithm } from './mechanism.js';
export { ecdsaRawToDer } from './ecdsa.js';
