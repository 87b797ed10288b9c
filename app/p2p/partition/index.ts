export {
  PartitionDetector,
  PartitionDetectorError,
  PARTITION_DEFAULTS,
  type PartitionDetectorConfig,
  type PartitionEvent,
  type PartitionFigures,
  type ValidatorPower,
} from './detector.js';
