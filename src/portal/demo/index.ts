// The demo portal ("Cổng Dịch vụ công" in miniature) built on kyso-bridge/client and kyso-bridge/portal.
export { startDemoPortal } from './server.js';
export type { DemoPortal, DemoPortalOptions } from './server.js';
export { AccountStore, identityKeyOf, type Account } from './accounts.js';
