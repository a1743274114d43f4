// Lets vitest import server-only modules outside the Next.js bundler.
export {};
