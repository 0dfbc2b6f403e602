import { defineConfig } from "vite";

// Built into web/dist, which the service serves at / (src/Trajectories/Web/WebApp.cs). The service's content security
// policy allows only its own scripts and styles, so nothing may be inlined into index.html.
export default defineConfig({
  base: "/",
  build: {
    outDir: "dist",
    emptyOutDir: true,
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    chunkSizeWarningLimit: 1500,
  },
  server: {
    // `npm run dev` beside `make run`: the API stays on the service.
    proxy: { "/api": "http://127.0.0.1:5080" },
  },
});
