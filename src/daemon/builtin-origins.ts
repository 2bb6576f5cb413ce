// The national public-service portals: they hold every grant without a dialog.
export const BUILTIN_ORIGINS = ['https://dichvucong.gov.vn', 'https://dichvucong.bocongan.gov.vn'];
