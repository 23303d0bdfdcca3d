/** Adds a capturing, passive listener; returns its removal (which needs only the capture flag to match). */
export function listen<E extends Event>(target: EventTarget, type: string, listener: (event: E) => void): () => void {
  target.addEventListener(type, listener as EventListener, { capture: true, passive: true });
  return () => target.removeEventListener(type, listener as EventListener, true);
}
