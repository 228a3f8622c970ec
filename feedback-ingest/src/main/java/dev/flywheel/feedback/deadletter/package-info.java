/** Routing rejected and undecodable feedback to the dead-letter topic inside the app's transactions. */
package dev.flywheel.feedback.deadletter;
