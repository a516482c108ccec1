/**
 * The scheduler function has no callable actions: only its timer triggers
 * (config.json) run it: tidying ended suspensions and bans, due deletions, dormancy.
 */
export const scheduler = {}
