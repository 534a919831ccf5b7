// Node-only entry (@tiandi/tiles/node): file I/O, onnxruntime-node, sharp, worker threads.
export {
  gsdRefusal,
  scanImages,
  type GsdRefusal,
  type ScanImagesOptions,
  type ScanSummary,
  type ScanProgress,
  type ScanFailure,
  type CandidateProperties,
} from './node/scan-images';
export { loadModel, loadModelCard, checkGraphAgainstCard, type LoadedModel } from './node/load-model';
export { imageFingerprint } from './node/image-fingerprint';
export { imageDigests, fileSha256, pixelSha256, type ImageDigests } from './node/image-digests';
export { openGeoTiffSource, type GeoTiffSource, type OpenGeoTiffOptions, type PixelBox, type SourceLevel } from './read/open-geotiff-source';
export { LIMITS } from './read/limits';
export { writeGeoTiff, type WriteGeoTiffOptions } from './write/index';
export { loadVerifier, readVerifierWindow, scoreWindows, type Verifier, type VerifierWindow } from './node/verify-candidates';
export {
  adaptVerifier,
  adaptedVersion,
  readLabelWindows,
  rescoreCandidates,
  windowCentres,
  candidateCentres,
  type LabelPoint,
  type AdaptationRecord,
  type AdaptVerifierOptions,
  type LabelWindow,
} from './node/adapt-verifier';
export {
  loadEmbeddingModel,
  findClassifierHead,
  withEmbeddingOutput,
  withHeadWeights,
  type ClassifierHead,
  type EmbeddingModel,
} from './node/verifier-embeddings';
