/**
 * A small browser stand-in for Node's `url` module. xmlbuilder2's URL code (via gpx-builder in packages/planner's
 * GPX export) imports `domainToASCII` / `domainToUnicode`; without this Vite externalises `url` with a warning on
 * every build, and those calls would fail. The browser's own URL parser does the IDNA (punycode) conversion.
 */

/** The ASCII (punycode) form of a domain, or '' when it is not a valid host, as Node's url.domainToASCII. */
export function domainToASCII(domain: string): string {
  try {
    return new URL(`http://${domain}/`).hostname;
  } catch {
    return '';
  }
}

/** The domain as given when it is valid; browsers have no punycode decoder, and GPX files carry no IDN hosts. */
export function domainToUnicode(domain: string): string {
  return domainToASCII(domain) === '' ? '' : domain;
}
