/**
 * IAM paths reserved for what must never be changed by the roles it constrains. A path is part
 * of an ARN, so the `<env>-*` names CI's apply role manages (`role/dev-*`, `policy/dev-*`) do not
 * reach these, and explicit denies in the apply role's policy and in the CI boundary refuse every
 * change under them (modules/ci/github-roles.ts, `escalationDenies`).
 */

/** CI's roles: `role/ci/<env>-github-{plan,apply,drift}`. */
export const CI_ROLE_PATH = "/ci/";

/** Every permissions boundary: `policy/boundaries/<env>-platform-boundary`, `policy/boundaries/github-ci-boundary`. */
export const BOUNDARY_PATH = "/boundaries/";
