/** @type {import('@remix-run/dev').AppConfig} */
export default {
  appDirectory: "app",
  assetsBuildDirectory: process.env.REMIX_BUILD_DIR ? `${process.env.REMIX_BUILD_DIR}/public/build` : "public/build",
  serverBuildPath: process.env.REMIX_BUILD_DIR ? `${process.env.REMIX_BUILD_DIR}/server/index.js` : "build/index.js",
  publicPath: "/build/",
  serverModuleFormat: "esm",
  serverPlatform: "node",
  serverDependenciesToBundle: [/^marked/],
  ignoredRouteFiles: ["**/.*", "**/*.test.{ts,tsx}"],
  postcss: true,
  tailwind: false,
  watchPaths: ["styles/**/*.css"],
  future: {
    v3_fetcherPersist: true,
    v3_relativeSplatPath: true,
    v3_throwAbortReason: true,
    v3_singleFetch: true,
    v3_lazyRouteDiscovery: true,
    // v3_routeConfig is the one v3 flag left off: it exists only for the Vite plugin and the
    // classic compiler stops on it (docs/decisions/005-remix-classic-compiler.md).
    v3_routeConfig: false,
  },
};
