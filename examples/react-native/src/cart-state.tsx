import { createContext, type ReactNode, useContext, useMemo, useState } from 'react';
import type { CatalogItem } from './catalog';

export interface CartLine extends CatalogItem {
  quantity: number;
}

interface CartState {
  lines: CartLine[];
  add(item: CatalogItem): void;
  remove(item: CatalogItem): void;
  clear(): void;
}

const CartContext = createContext<CartState | null>(null);

/** The shopping cart itself (the tracker only reports on it). */
export function CartProvider({ children }: { children: ReactNode }) {
  const [lines, setLines] = useState<CartLine[]>([]);
  const state = useMemo<CartState>(
    () => ({
      lines,
      add: (item) =>
        setLines((current) =>
          current.some((line) => line.product_id === item.product_id)
            ? current.map((line) =>
                line.product_id === item.product_id ? { ...line, quantity: line.quantity + 1 } : line,
              )
            : [...current, { ...item, quantity: 1 }],
        ),
      remove: (item) => setLines((current) => current.filter((line) => line.product_id !== item.product_id)),
      clear: () => setLines([]),
    }),
    [lines],
  );
  return <CartContext.Provider value={state}>{children}</CartContext.Provider>;
}

export function useCart(): CartState {
  const cart = useContext(CartContext);
  if (!cart) throw new Error('useCart() needs a <CartProvider> above it');
  return cart;
}
