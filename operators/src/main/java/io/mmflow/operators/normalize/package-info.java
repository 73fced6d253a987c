/**
 * Normalize: the one place where a model's or an extractor's answer becomes a canonical {@link
 * io.mmflow.core.model.ModalityResult}: labels, calibrated confidence and its method, entities,
 * text, provenance, timing, cost, attributes and the error of a failed part. The {@code infer}
 * operators call a model and hand its answer to a class of this package; nothing outside it builds
 * a result, so a newcomer changing what a result says finds it here (the layout test in {@code
 * operators} checks this).
 *
 * <p>One class per kind of answer: {@link io.mmflow.operators.normalize.ExtractionResults} (text
 * layers, Tika documents, text parts, the document of a PDF's pages), {@link
 * io.mmflow.operators.normalize.OcrResults} (Tesseract), {@link
 * io.mmflow.operators.normalize.TextModelResults} and {@link
 * io.mmflow.operators.normalize.ImageModelResults} (registry ONNX models), {@link
 * io.mmflow.operators.normalize.TranscriptResults} (speech to text), {@code RemoteResults} (remote
 * providers).
 */
package io.mmflow.operators.normalize;
