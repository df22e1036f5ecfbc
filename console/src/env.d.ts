// Vite bundles the stylesheet imported by main.tsx into a hashed .css file.
declare module '*.css';
