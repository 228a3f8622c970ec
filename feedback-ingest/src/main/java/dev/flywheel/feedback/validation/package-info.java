/** The rules each kind of feedback must follow before it is joined (Feedback.avsc's field docs). */
package dev.flywheel.feedback.validation;
