/** An exact chart version (semver, optionally with pre-release and build): no range, no `latest`, never empty. */
export const EXACT_CHART_VERSION = /^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$/;
