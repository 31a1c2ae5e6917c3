package io.tollgate.tls;

import java.net.Socket;
import java.security.KeyStore;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToIntFunction;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.KeyManagerFactorySpi;
import javax.net.ssl.ManagerFactoryParameters;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * Every certificate of a listener in one key manager, which picks the one for the name the client
 * asked for (RFC 6066 §3 server_name, read from the handshake in progress) when the engine asks for
 * a key. One key manager means one TLS context for the whole listener, whatever names callers send:
 * Vert.x's own SNI support builds and keeps a context per distinct name, so random names under a
 * {@code *.} entry would each cost a context, without a bound. Works alike on both engines: the
 * JDK's and Netty's OpenSSL engine both expose the requested name in their handshake session.
 * The aliases are the identities' positions, so that a cache of key material by alias is bounded.
 */
final class SniKeyManager extends X509ExtendedKeyManager {
  private final List<PemIdentity> identities;
  private final List<String> aliases;
  /** The position of the identity serving a lower-case name; any miss is the default, 0. */
  private final ToIntFunction<String> choice;

  /** {@code identities}: the default first; {@code choice}: a lower-case name to a position. */
  SniKeyManager(List<PemIdentity> identities, ToIntFunction<String> choice) {
    this.identities = List.copyOf(identities);
    List<String> names = new ArrayList<>();
    for (int i = 0; i < identities.size(); i++) {
      names.add(Integer.toString(i));
    }
    this.aliases = List.copyOf(names);
    this.choice = choice;
  }

  /** As a factory, the form Vert.x and Netty take key managers in. */
  KeyManagerFactory factory() {
    KeyManager[] managers = {this};
    return new KeyManagerFactory(new KeyManagerFactorySpi() {
      @Override
      protected void engineInit(KeyStore store, char[] password) {}

      @Override
      protected void engineInit(ManagerFactoryParameters parameters) {}

      @Override
      protected KeyManager[] engineGetKeyManagers() {
        return managers.clone();
      }
    }, null, "SNI") {};
  }

  /** The alias for a handshake asking for {@code serverName} (null: none), when its key fits {@code keyType}. */
  String alias(String serverName, String keyType) {
    int chosen = serverName == null ? 0 : choice.applyAsInt(serverName.toLowerCase(Locale.ROOT));
    return fits(identities.get(chosen), keyType) ? aliases.get(chosen) : null;
  }

  /**
   * JSSE's key types: the key's algorithm ("EC", "RSA", "RSASSA-PSS", "EdDSA"), for TLS 1.2's static
   * ECDH suites followed by the issuer's ("EC_RSA"). The engine asks again with the next type it can use.
   */
  private static boolean fits(PemIdentity identity, String keyType) {
    if (keyType == null) {
      return false;
    }
    X509Certificate[] chain = identity.chain();
    int split = keyType.indexOf('_');
    String key = split < 0 ? keyType : keyType.substring(0, split);
    if (!key.equals(chain[0].getPublicKey().getAlgorithm())) {
      return false;
    }
    if (split < 0) {
      return true;
    }
    String issuer = keyType.substring(split + 1);
    return chain.length > 1 ? issuer.equals(chain[1].getPublicKey().getAlgorithm())
        : chain[0].getSigAlgName().toUpperCase(Locale.ROOT).contains("WITH" + issuer.toUpperCase(Locale.ROOT));
  }

  /** The host name the client sent in server_name, or null. */
  private static String requested(SSLSession handshake) {
    if (handshake instanceof ExtendedSSLSession extended) {
      for (SNIServerName name : extended.getRequestedServerNames()) {
        if (name instanceof SNIHostName host) {
          return host.getAsciiName();
        }
      }
    }
    return null;
  }

  @Override
  public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
    return alias(engine == null ? null : requested(engine.getHandshakeSession()), keyType);
  }

  @Override
  public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
    SSLSession handshake = socket instanceof SSLSocket tls ? tls.getHandshakeSession() : null;
    return alias(requested(handshake), keyType);
  }

  @Override
  public String[] getServerAliases(String keyType, Principal[] issuers) {
    List<String> fitting = new ArrayList<>();
    for (int i = 0; i < identities.size(); i++) {
      if (fits(identities.get(i), keyType)) {
        fitting.add(aliases.get(i));
      }
    }
    return fitting.isEmpty() ? null : fitting.toArray(String[]::new);
  }

  @Override
  public X509Certificate[] getCertificateChain(String alias) {
    PemIdentity identity = identity(alias);
    return identity == null ? null : identity.chain().clone();
  }

  @Override
  public PrivateKey getPrivateKey(String alias) {
    PemIdentity identity = identity(alias);
    return identity == null ? null : identity.privateKey();
  }

  private PemIdentity identity(String alias) {
    int at = alias == null ? -1 : aliases.indexOf(alias);
    return at < 0 ? null : identities.get(at);
  }

  /** A server's key manager: it never authenticates as a client. */
  @Override
  public String[] getClientAliases(String keyType, Principal[] issuers) {
    return null;
  }

  @Override
  public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
    return null;
  }

  @Override
  public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
    return null;
  }
}
