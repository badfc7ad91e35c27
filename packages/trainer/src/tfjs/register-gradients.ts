/**
 * tfjs-core's node bundle ships the ops but not their gradient functions; its ESM gradient files cannot be
 * imported from Node (directory imports). tfjs-layers' node bundle registers every core gradient into the
 * engine's global registry when loaded, so importing it once makes `tf.variableGrads` work on every backend.
 */
import "@tensorflow/tfjs-layers";
