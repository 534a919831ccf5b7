export { renderCertificatePdf, TARGET_COLOURS } from './render-certificate-pdf';
export type { CertificatePdfInput, CertificateRule, CertificateTarget } from './certificate-pdf-input';
export { CJK_FONT_CANDIDATES, CjkFontMissingError, findCjkFont } from './cjk-font';
export type { CjkFont } from './cjk-font';
