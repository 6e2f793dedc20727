// "A shop's settings changed" within this process. Saving settings announces
// it; the shop-config provider listens and drops its cached copy, so the next
// order uses the new connector settings at once. (A worker in another process
// picks changes up when its short cache entry expires.)
type Listener = (shop: string) => void;

const listeners = new Set<Listener>();

/** Returns a function that removes the listener. */
export function onShopSettingsChanged(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function notifyShopSettingsChanged(shop: string): void {
  for (const listener of listeners) listener(shop);
}
