// Stand-in for App Bridge (https://cdn.shopify.com/shopifycloud/app-bridge.js),
// which cannot be loaded here. Like App Bridge it defines window.shopify and
// adds "Authorization: Bearer <fresh session token>" to the app's own fetches;
// the tokens come from the test server, signed with the app's secret for the
// seeded shop, and the app verifies them exactly as in production. It also
// draws the admin's chrome (nav menu, title bar, save bar, toasts) as plain
// DOM so screenshots show it and tests can click it. It skips nothing.
(function () {
  const script = document.currentScript;
  const base = new URL(script.src).origin;
  const tokenUrl = base + "/__test__/id-token";

  async function idToken() {
    const response = await window.__originalFetch(tokenUrl, { cache: "no-store" });
    return response.text();
  }

  // App Bridge authenticates the app's own requests.
  window.__originalFetch = window.fetch.bind(window);
  window.fetch = async function (input, init) {
    const url = new URL(typeof input === "string" ? input : input instanceof URL ? input.href : input.url, window.location.href);
    if (url.origin !== window.location.origin || url.pathname.startsWith("/__test__/")) return window.__originalFetch(input, init);
    const headers = new Headers(init?.headers ?? (input instanceof Request ? input.headers : undefined));
    if (!headers.has("Authorization")) headers.set("Authorization", "Bearer " + (await idToken()));
    return window.__originalFetch(input, { ...init, headers });
  };

  function toastRegion() {
    let region = document.getElementById("stub-toasts");
    if (!region) {
      region = document.createElement("div");
      region.id = "stub-toasts";
      region.setAttribute("role", "status");
      region.setAttribute("aria-live", "polite");
      region.style.cssText = "position:fixed;bottom:24px;left:50%;transform:translateX(-50%);z-index:10000;display:flex;flex-direction:column;gap:8px";
      document.body.appendChild(region);
    }
    return region;
  }

  window.shopify = {
    config: { apiKey: script.dataset.apiKey, shop: new URL(window.location.href).searchParams.get("shop") },
    idToken,
    toast: {
      show(message, options) {
        const toast = document.createElement("div");
        toast.className = "stub-toast" + (options && options.isError ? " stub-toast-error" : "");
        toast.textContent = message;
        toast.style.cssText = "background:" + (options && options.isError ? "#8e1f0b" : "#303030") + ";color:#fff;padding:10px 16px;border-radius:8px;font:14px sans-serif";
        toastRegion().appendChild(toast);
        setTimeout(() => toast.remove(), options?.duration ?? 5000);
        return "toast";
      },
      hide() {},
    },
    loading() {},
    saveBar: {
      show: (id) => document.getElementById(id)?.show(),
      hide: (id) => document.getElementById(id)?.hide(),
    },
  };

  // <ui-nav-menu>: the admin's left navigation; drawn as a top bar here, wrapping
  // onto a second line on a phone (the admin's own menu never widens the app's frame).
  class NavMenu extends HTMLElement {
    connectedCallback() {
      this.setAttribute("aria-label", "App navigation");
      this.setAttribute("role", "navigation");
      this.style.cssText = "display:flex;flex-wrap:wrap;gap:8px 16px;padding:10px 20px;background:#1a1a1a;font:14px sans-serif";
      for (const a of this.querySelectorAll("a")) a.style.color = "#fff";
    }
  }
  // <ui-title-bar>: the admin shows the title above the iframe; not drawn here.
  class TitleBar extends HTMLElement {
    connectedCallback() {
      this.style.display = "none";
    }
  }
  // <ui-save-bar>: the admin's contextual save bar; drawn at the top when shown.
  class SaveBarElement extends HTMLElement {
    connectedCallback() {
      if (!this.shown) this.style.display = "none";
    }
    show() {
      this.shown = true;
      this.style.cssText = "display:flex;gap:8px;justify-content:flex-end;align-items:center;position:sticky;top:0;z-index:9999;padding:8px 20px;background:#303030;font:14px sans-serif";
      if (!this.querySelector(".stub-save-bar-label")) {
        const label = document.createElement("span");
        label.className = "stub-save-bar-label";
        label.textContent = "Unsaved changes";
        label.style.cssText = "color:#fff;margin-right:auto";
        this.prepend(label);
      }
      this.dispatchEvent(new Event("show"));
    }
    hide() {
      this.shown = false;
      this.style.display = "none";
      this.dispatchEvent(new Event("hide"));
    }
  }
  customElements.define("ui-nav-menu", NavMenu);
  customElements.define("ui-title-bar", TitleBar);
  customElements.define("ui-save-bar", SaveBarElement);
})();
