package io.mmflow.datasets.models.sentiment;

import io.mmflow.datasets.models.text.WordPieceTokenizerJson;
import java.util.List;

/**
 * Multinomial naive Bayes over token ids with Laplace smoothing (McCallum and Nigam, AAAI-98
 * workshop), plus a lexicon's valence: each token's logit difference (positive minus negative) is
 * its naive Bayes log-odds plus {@code lexiconWeight} times its valence. The special tokens ([PAD],
 * [UNK], [CLS], [SEP]) score 0, since an unknown word is no evidence either way. The two scores of
 * a token are centred on their mean (softmax does not change), as the ONNX graph stores them.
 */
final class NaiveBayesSentiment {
  private static final double ALPHA = 1.0;

  final float[] tokenScores;
  final float[] prior;

  private NaiveBayesSentiment(float[] tokenScores, float[] prior) {
    this.tokenScores = tokenScores;
    this.prior = prior;
  }

  /**
   * @param ids each example's token ids
   * @param labels each example's label, 0 negative, 1 positive
   * @param skip examples left out (a fold's held-out part)
   * @param v the vocabulary size
   * @param valence each token id's lexicon valence (0 for words not in it)
   * @param lexiconWeight the weight of the valence in the logit difference
   */
  static NaiveBayesSentiment train(
      List<int[]> ids, int[] labels, boolean[] skip, int v, float[] valence, double lexiconWeight) {
    double[][] tokenCounts = new double[2][v];
    double[] classTokens = new double[2];
    int[] classDocs = new int[2];
    for (int i = 0; i < ids.size(); i++) {
      if (skip[i]) {
        continue;
      }
      for (int id : ids.get(i)) {
        tokenCounts[labels[i]][id]++;
        classTokens[labels[i]]++;
      }
      classDocs[labels[i]]++;
    }
    float[] scores = new float[v * 2];
    int specials = WordPieceTokenizerJson.SPECIAL.size();
    for (int t = specials; t < v; t++) {
      double[] lp = new double[2];
      for (int c = 0; c < 2; c++) {
        lp[c] = Math.log((tokenCounts[c][t] + ALPHA) / (classTokens[c] + ALPHA * v));
      }
      double mean = (lp[0] + lp[1]) / 2;
      double lexicon = lexiconWeight * valence[t] / 2;
      scores[t * 2] = (float) (lp[0] - mean - lexicon);
      scores[t * 2 + 1] = (float) (lp[1] - mean + lexicon);
    }
    int docs = classDocs[0] + classDocs[1];
    float[] prior = {
      (float) Math.log((double) classDocs[0] / docs), (float) Math.log((double) classDocs[1] / docs)
    };
    return new NaiveBayesSentiment(scores, prior);
  }

  /** What the ONNX graph computes for one unpadded row. */
  float[] logits(int[] row) {
    float[] z = prior.clone();
    for (int id : row) {
      z[0] += tokenScores[id * 2];
      z[1] += tokenScores[id * 2 + 1];
    }
    return z;
  }
}
