/** RLHF losses, advantage estimators and KL-coefficient controllers on DJL NDArrays. */
package dev.flywheel.core.loss;
