export {
  dashboardDistDir,
  dashboardPackageDir,
  isDashboardBuildStale,
  ensureDashboardBuilt,
} from "./dashboard-build.js";
