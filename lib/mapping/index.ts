// The field-mapping language: provider records (JSON) onto our internal model, as data.
export { analyzeMapping, type MappingWarning, type WarningCode } from './analysis';
export { sourceFieldsOf, type JsonType, type SourceField, type SourceFieldOptions } from './fields';
export {
  applyMapping,
  compileMapping,
  failed,
  InvalidMappingError,
  type CompiledMapping,
  type MappingError,
  type MappingResult,
} from './interpreter';
export {
  mappingSchema,
  parseMapping,
  TRANSFORM_OPS,
  VALIDATION_RULES,
  type Mapping,
  type MappingDefinition,
  type MappingIssue,
  type MappingRow,
  type MappingTargets,
  type ParseResult,
  type TargetField,
  type Scalar,
  type Source,
  type Transform,
  type Validation,
} from './language';
export { LIMITS, OUTPUT_LIMITS } from './limits';
export {
  Appointment,
  Company,
  Contact,
  Deal,
  describeModel,
  FIELD_TYPES,
  Issue,
  Message,
  MODEL_NAMES,
  MODEL_SCHEMAS,
  modelField,
  modelFields,
  TARGET_MODELS,
  type FieldType,
  type ModelDescription,
  type ModelField,
  type ModelName,
} from './model';
export { FORBIDDEN_KEYS, parsePath } from './paths';
export { checkRegex } from './safe-regex';
