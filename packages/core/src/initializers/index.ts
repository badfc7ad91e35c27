export {
  DEFAULT_RANDOM_INIT_STDDEV,
  describeInitializerDistribution,
  findWeightInitializer,
  weightInitializerForms,
  weightInitializerNames,
  weightInitializers,
  type FanMode,
  type InitializerDistribution,
  type InitializerForm,
  type InitializerName,
  type InitializerOptions,
  type WeightInitializer,
} from "./weight-initializers.js";
