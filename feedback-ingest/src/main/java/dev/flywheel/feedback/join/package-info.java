/** Stage one: feedback joined with its rollout by response id, within the join window, re-keyed by prompt id. */
package dev.flywheel.feedback.join;
