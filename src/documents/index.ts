// The document layer the core calls: sign (XML-DSig, CMS/CAdES, PDF/PAdES) through a DigestSigner,
// describe for the consent dialog, verify. Engines never touch PKCS#11; errors are KysoError with the document codes.
export { signDocument, DOCUMENT_FORMATS, DEFAULT_MAX_DOCUMENT_BYTES, type DocumentFormat, type SignatureLevel, type SignDocumentRequest, type SignDocumentResult, type SignDocumentOptions, type CmsOptions } from './sign-document.js';
export { describeDocument, fingerprint, type DescribeRequest, type DocumentFacts, type FactWarning, type PdfFacts } from './facts.js';
export { verifyDocument, detectFormat, type SignatureReport, type VerifyDocumentOptions, type VerifiedFormat } from './verify.js';
export { documentError, isDocumentError, DOCUMENT_ERROR_CODES, type DocumentErrorCode } from './errors.js';
export type { DigestSigner, HashAlgorithm } from './signer.js';
export type { TsaOptions } from './timestamp.js';
export type { RevocationFetchOptions } from './revocation-data.js';
export type { PdfOptions, PdfVisibleOptions } from './pades.js';
export { XML_PROFILES, type XmlProfile, type XmlOptions } from './xml-profiles.js';
export type { InvoiceFacts } from './einvoice-facts.js';
