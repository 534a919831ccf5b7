export { renderCertificatePdf, TARGET_COLOURS } from './render-certificate-pdf';
export type { CertificatePdfInput, CertificateRule, CertificateTarget } from './certificate-pdf-input';
export { BUNDLED_FONT_MODULE, CjkFontMissingError, bundledFontPath, findCjkFont } from './cjk-font';
export type { CjkFont } from './cjk-font';
export { certificateToPdfInput } from './certificate-to-pdf-input';
export type { StoredCertificateLike } from './certificate-to-pdf-input';
export { SAMPLE_CERTIFICATE } from './sample-certificate';
