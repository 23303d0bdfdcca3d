import type { Product } from '@loupe/tracker/react-native';

export interface CatalogItem extends Product {
  product_id: string;
  name: string;
  price: number;
}

export const CATALOG: readonly CatalogItem[] = [
  { product_id: 'kettle-01', sku: 'KT-01', name: 'Gooseneck kettle', price: 59, currency: 'EUR' },
  { product_id: 'grinder-02', sku: 'GR-02', name: 'Burr grinder', price: 129, currency: 'EUR' },
  { product_id: 'beans-03', sku: 'BN-03', name: 'Single-origin beans', price: 14.5, currency: 'EUR' },
];

export const findProduct = (id: string): CatalogItem | undefined => CATALOG.find((item) => item.product_id === id);
