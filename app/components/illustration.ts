// Empty-state picture as a data URI: no request to a CDN (the app also works
// where cdn.shopify.com is slow or blocked, and in the offline browser tests).
const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="226" height="160" viewBox="0 0 226 160"><rect x="38" y="20" width="150" height="120" rx="12" fill="#f1f1f1" stroke="#c9cccf" stroke-width="2"/><rect x="58" y="44" width="110" height="10" rx="5" fill="#c9cccf"/><rect x="58" y="66" width="80" height="10" rx="5" fill="#e3e3e3"/><rect x="58" y="88" width="96" height="10" rx="5" fill="#e3e3e3"/><circle cx="170" cy="118" r="22" fill="#29845a"/><path d="M160 118l7 7 13-14" stroke="#fff" stroke-width="4" fill="none" stroke-linecap="round" stroke-linejoin="round"/></svg>`;

export const EMPTY_STATE_IMAGE = `data:image/svg+xml;utf8,${encodeURIComponent(svg)}`;

// A magnifier on an empty sheet: "not found" and searches without results
// (no green check: nothing here is "done").
const searchSvg = `<svg xmlns="http://www.w3.org/2000/svg" width="226" height="160" viewBox="0 0 226 160"><rect x="38" y="20" width="150" height="120" rx="12" fill="#f1f1f1" stroke="#c9cccf" stroke-width="2"/><rect x="58" y="44" width="110" height="10" rx="5" fill="#e3e3e3"/><rect x="58" y="66" width="80" height="10" rx="5" fill="#e3e3e3"/><circle cx="160" cy="106" r="18" fill="#fff" stroke="#616161" stroke-width="5"/><path d="M173 119l15 15" stroke="#616161" stroke-width="6" stroke-linecap="round"/></svg>`;
export const NO_RESULTS_IMAGE = `data:image/svg+xml;utf8,${encodeURIComponent(searchSvg)}`;

// An empty tray: nothing has arrived yet.
const emptySvg = `<svg xmlns="http://www.w3.org/2000/svg" width="226" height="160" viewBox="0 0 226 160"><path d="M48 90l20-50h90l20 50v40a8 8 0 0 1-8 8H56a8 8 0 0 1-8-8z" fill="#f1f1f1" stroke="#c9cccf" stroke-width="2"/><path d="M48 90h40l8 14h34l8-14h40" fill="none" stroke="#c9cccf" stroke-width="2"/></svg>`;
export const NOTHING_YET_IMAGE = `data:image/svg+xml;utf8,${encodeURIComponent(emptySvg)}`;
