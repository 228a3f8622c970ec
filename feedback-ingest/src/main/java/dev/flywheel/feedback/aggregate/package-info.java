/**
 * Stage two, keyed by prompt id: several raters' votes on one pair aggregated into one PreferencePair, thumbs on two
 * responses turned into pairs, corrections turned into pairs, and human reward labels.
 */
package dev.flywheel.feedback.aggregate;
