// Empty-state picture as a data URI: no request to a CDN (the app also works
// where cdn.shopify.com is slow or blocked, and in the offline browser tests).
const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="226" height="160" viewBox="0 0 226 160"><rect x="38" y="20" width="150" height="120" rx="12" fill="#f1f1f1" stroke="#c9cccf" stroke-width="2"/><rect x="58" y="44" width="110" height="10" rx="5" fill="#c9cccf"/><rect x="58" y="66" width="80" height="10" rx="5" fill="#e3e3e3"/><rect x="58" y="88" width="96" height="10" rx="5" fill="#e3e3e3"/><circle cx="170" cy="118" r="22" fill="#29845a"/><path d="M160 118l7 7 13-14" stroke="#fff" stroke-width="4" fill="none" stroke-linecap="round" stroke-linejoin="round"/></svg>`;

export const EMPTY_STATE_IMAGE = `data:image/svg+xml;utf8,${encodeURIComponent(svg)}`;
