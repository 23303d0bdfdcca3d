/** Adds a capturing, passive listener; returns its removal. */
export function listen<E extends Event>(target: EventTarget, type: string, listener: (event: E) => void): () => void {
  const options = { capture: true, passive: true };
  target.addEventListener(type, listener as EventListener, options);
  return () => target.removeEventListener(type, listener as EventListener, options);
}
