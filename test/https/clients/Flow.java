// The API-channel journey with Java 17's java.net.http.HttpClient, unchanged: it reaches the
// mock through -Dhttps.proxyHost/-Dhttps.proxyPort (the default ProxySelector) and trusts it
// through -Djavax.net.ssl.trustStore (a keytool trust store holding only the mock's CA).
// token → create (10011) → FRONT, BACK, FACE uploads → finalize → status until PROCESSED.
// Env: CLIENT_ID, IMAGES. Prints "status <final status>". No JSON library: a small scanner.
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.io.ByteArrayOutputStream;
import java.util.Base64;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

public class Flow {
  static final String UA = "AcmeBank KYC/1.0 (java.net.http)";
  static final HttpClient HTTP = HttpClient.newHttpClient();

  static String call(String method, String url, String auth, String type, byte[] body) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).header("User-Agent", UA)
        .method(method, body == null ? BodyPublishers.noBody() : BodyPublishers.ofByteArray(body));
    if (auth != null) b.header("Authorization", auth);
    if (type != null) b.header("Content-Type", type);
    var res = HTTP.send(b.build(), BodyHandlers.ofString());
    System.err.println(method + " " + url + " " + res.statusCode());
    if (res.statusCode() != 200) throw new IllegalStateException(res.body());
    return res.body();
  }

  static String field(String json, String name) {
    Matcher m = Pattern.compile("\"" + name + "\":\"([^\"]+)\"").matcher(json);
    if (!m.find()) throw new IllegalStateException("no " + name + " in " + json);
    return m.group(1);
  }

  static byte[] multipart(String boundary, Path file) throws Exception {
    var out = new ByteArrayOutputStream();
    out.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\""
        + file.getFileName() + "\"\r\nContent-Type: image/png\r\n\r\n").getBytes(StandardCharsets.UTF_8));
    out.write(Files.readAllBytes(file));
    out.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
    return out.toByteArray();
  }

  public static void main(String[] args) throws Exception {
    String basic = Base64.getEncoder().encodeToString((System.getenv("CLIENT_ID") + ":secret").getBytes(StandardCharsets.UTF_8));
    String token = field(call("POST", "https://auth.amer-1.jumio.ai/oauth2/token", "Basic " + basic,
        "application/x-www-form-urlencoded", "grant_type=client_credentials".getBytes(StandardCharsets.UTF_8)), "access_token");
    String created = call("POST", "https://account.amer-1.jumio.ai/api/v1/accounts", "Bearer " + token, "application/json",
        "{\"customerInternalReference\":\"https-java\",\"workflowDefinition\":{\"key\":10011}}".getBytes(StandardCharsets.UTF_8));
    // each credential's api block: its token, then its parts
    Matcher api = Pattern.compile("\"api\":\\{\"token\":\"([^\"]+)\",\"parts\":\\{([^}]*)\\},\"workflowExecution\":\"([^\"]+)\"").matcher(created);
    String apiToken = null, finalize = null;
    while (api.find()) {
      apiToken = api.group(1);
      finalize = api.group(3);
      Matcher part = Pattern.compile("\"(\\w+)\":\"([^\"]+)\"").matcher(api.group(2));
      while (part.find()) {
        String boundary = UUID.randomUUID().toString();
        call("POST", part.group(2), "Bearer " + apiToken, "multipart/form-data; boundary=" + boundary,
            multipart(boundary, Path.of(System.getenv("IMAGES"), part.group(1) + ".png")));
      }
    }
    call("PUT", finalize, "Bearer " + apiToken, null, null);
    String account = field(created.substring(created.indexOf("\"account\"")), "id");
    String wfe = field(created.substring(created.indexOf("\"workflowExecution\":{")), "id");
    String status = null;
    for (int i = 0; i < 50 && !"PROCESSED".equals(status); i++) {
      if (i > 0) Thread.sleep(100);
      status = field(call("GET", "https://retrieval.amer-1.jumio.ai/api/v1/accounts/" + account + "/workflow-executions/" + wfe + "/status",
          "Bearer " + token, null, null), "status");
    }
    System.out.println("status " + status);
  }
}
