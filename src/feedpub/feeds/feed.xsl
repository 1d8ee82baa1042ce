<?xml version="1.0" encoding="UTF-8"?>
<!--
  feedpub's view of its RSS 2.0 and Atom 1.0 feeds in a browser ([build] xsl): the feed's title,
  description and address, then each item with its link, date, authors and summary. XSLT 1.0, as
  browsers run it. The summaries are HTML kept as text in the feed: written out as HTML where the
  processor can (libxslt: Chromium, WebKit), as their text where it cannot (Firefox's
  Transformiix ignores disable-output-escaping), chosen by the parameter `plain`.
-->
<xsl:stylesheet version="1.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:atom="http://www.w3.org/2005/Atom"
  xmlns:dc="http://purl.org/dc/elements/1.1/"
  exclude-result-prefixes="atom dc">

  <xsl:output method="html" encoding="UTF-8" indent="yes" doctype-system="about:legacy-compat"/>

  <xsl:param name="plain" select="system-property('xsl:vendor') = 'Transformiix'"/>

  <xsl:template match="/">
    <xsl:variable name="title" select="rss/channel/title | atom:feed/atom:title"/>
    <xsl:variable name="self" select="(rss/channel/atom:link | atom:feed/atom:link)[@rel = 'self']/@href"/>
    <html>
      <head>
        <meta name="viewport" content="width=device-width, initial-scale=1"/>
        <title><xsl:value-of select="$title"/> (feed)</title>
        <style>
          :root { color-scheme: light dark; --muted: #555; --line: #ccc; --note: #eef4ff; }
          @media (prefers-color-scheme: dark) { :root { --muted: #aaa; --line: #444; --note: #1c2738; } }
          body { font: 1.05rem/1.55 system-ui, sans-serif; max-width: 42rem; margin: 0 auto; padding: 1rem; }
          .note { background: var(--note); border-radius: .4rem; padding: .6rem .9rem; }
          .note code { word-break: break-all; }
          article { border-top: 1px solid var(--line); padding: .4rem 0; }
          h2 { font-size: 1.2rem; margin: .6rem 0 .2rem; }
          .meta { color: var(--muted); font-size: .9rem; margin: 0; }
          img { max-width: 100%; height: auto; }
        </style>
      </head>
      <body>
        <p class="note">This is a web feed. To subscribe, copy its address into a feed reader:
          <code><xsl:value-of select="$self"/></code></p>
        <header>
          <h1><xsl:value-of select="$title"/></h1>
          <p><xsl:value-of select="rss/channel/description | atom:feed/atom:subtitle"/></p>
          <xsl:variable name="home" select="rss/channel/link | atom:feed/atom:link[@rel = 'alternate']/@href"/>
          <p><a href="{$home}">Go to the site</a></p>
        </header>
        <main>
          <xsl:apply-templates select="rss/channel/item | atom:feed/atom:entry"/>
        </main>
      </body>
    </html>
  </xsl:template>

  <xsl:template match="item">
    <xsl:call-template name="item">
      <xsl:with-param name="title" select="title"/>
      <xsl:with-param name="link" select="link"/>
      <xsl:with-param name="date" select="pubDate"/>
      <xsl:with-param name="authors" select="dc:creator"/>
      <xsl:with-param name="summary" select="description"/>
    </xsl:call-template>
  </xsl:template>

  <xsl:template match="atom:entry">
    <xsl:call-template name="item">
      <xsl:with-param name="title" select="atom:title"/>
      <xsl:with-param name="link" select="atom:link[not(@rel) or @rel = 'alternate']/@href"/>
      <xsl:with-param name="date"
        select="concat(substring(atom:published, 1, 10), ' ', substring(atom:published, 12, 5))"/>
      <xsl:with-param name="authors" select="atom:author/atom:name"/>
      <xsl:with-param name="summary" select="atom:summary"/>
    </xsl:call-template>
  </xsl:template>

  <xsl:template name="item">
    <xsl:param name="title"/>
    <xsl:param name="link"/>
    <xsl:param name="date"/>
    <xsl:param name="authors"/>
    <xsl:param name="summary"/>
    <article>
      <h2><a href="{$link}"><xsl:value-of select="$title"/></a></h2>
      <p class="meta">
        <xsl:value-of select="$date"/>
        <xsl:for-each select="$authors">
          <xsl:choose>
            <xsl:when test="position() = 1"> · </xsl:when>
            <xsl:otherwise>, </xsl:otherwise>
          </xsl:choose>
          <xsl:value-of select="."/>
        </xsl:for-each>
      </p>
      <xsl:choose>
        <xsl:when test="$plain">
          <p><xsl:call-template name="text-of"><xsl:with-param name="html" select="string($summary)"/></xsl:call-template></p>
        </xsl:when>
        <xsl:otherwise>
          <div><xsl:value-of select="$summary" disable-output-escaping="yes"/></div>
        </xsl:otherwise>
      </xsl:choose>
    </article>
  </xsl:template>

  <!-- The text of a piece of HTML: what is outside its tags (the character references stay as written). -->
  <xsl:template name="text-of">
    <xsl:param name="html"/>
    <xsl:choose>
      <xsl:when test="contains($html, '&lt;')">
        <xsl:value-of select="substring-before($html, '&lt;')"/>
        <xsl:call-template name="text-of">
          <xsl:with-param name="html" select="substring-after(substring-after($html, '&lt;'), '&gt;')"/>
        </xsl:call-template>
      </xsl:when>
      <xsl:otherwise><xsl:value-of select="$html"/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>
</xsl:stylesheet>
