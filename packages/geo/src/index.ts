export {};
export * from './crs/index';
