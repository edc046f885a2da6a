<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>
<qgis styleCategories="Symbology|Temporal" version="3.22.0">
  <temporal enabled="1" mode="2" startField="start" endField="end" limitMode="0" accumulate="0" fixedDuration="0" durationUnit="min" durationField="" startExpression="" endExpression="">
    <fixedRange>
      <start></start>
      <end></end>
    </fixedRange>
  </temporal>
  <renderer-v2 type="RuleRenderer" symbollevels="0" forceraster="0" enableorderby="0">
    <rules key="route_status-rules">
      <rule key="route_status-0" symbol="0" filter="&quot;status&quot; = 'operating' AND &quot;mode&quot; = 'air'" label="Operating, air"/>
      <rule key="route_status-1" symbol="1" filter="&quot;status&quot; = 'operating' AND &quot;mode&quot; = 'rail'" label="Operating, rail"/>
      <rule key="route_status-2" symbol="2" filter="&quot;status&quot; = 'operating' AND &quot;mode&quot; = 'sea'" label="Operating, sea"/>
      <rule key="route_status-3" symbol="3" filter="&quot;status&quot; = 'operating' AND &quot;mode&quot; = 'road'" label="Operating, road"/>
      <rule key="route_status-4" symbol="4" filter="&quot;status&quot; = 'under_construction'" label="Under construction"/>
      <rule key="route_status-5" symbol="5" filter="&quot;status&quot; = 'planned'" label="Planned"/>
      <rule key="route_status-6" symbol="6" filter="&quot;status&quot; = 'suspended'" label="Suspended"/>
      <rule key="route_status-7" symbol="7" filter="&quot;status&quot; = 'closed' AND &quot;mode&quot; = 'air'" label="Closed, air"/>
      <rule key="route_status-8" symbol="8" filter="&quot;status&quot; = 'closed' AND &quot;mode&quot; = 'rail'" label="Closed, rail"/>
      <rule key="route_status-9" symbol="9" filter="&quot;status&quot; = 'closed' AND &quot;mode&quot; = 'sea'" label="Closed, sea"/>
      <rule key="route_status-10" symbol="10" filter="&quot;status&quot; = 'closed' AND &quot;mode&quot; = 'road'" label="Closed, road"/>
    </rules>
    <symbols>
      <symbol name="0" type="line" alpha="0.9" clip_to_extent="1" force_rhr="0">
        <layer class="SimpleLine" enabled="1" locked="0" pass="0">
          <Option type="Map">
            <Option name="capstyle" type="QString" value="flat"/>
            <Option name="joinstyle" type="QString" value="round"/>
            <Option name="line_color" type="QString" value="89,25,103,255"/>
            <Option name="line_style" type="QString" value="solid"/>
            <Option name="line_width" type="QString" value="3"/>
            <Option name="line_width_unit" type="QString" value="Pixel"/>
            <Option name="use_custom_dash" type="QString" value="0"/>
            <Option name="customdash" type="QString" value="5;2"/>
            <Option name="customdash_unit" type="QString" value="Pixel"/>
          </Option>
        </layer>
      </symbol>
      <symbol name="1" type="line" alpha="0.9" clip_to_extent="1" force_rhr="0">
        <layer class="SimpleLine" enabled="1" locked="0" pass="0">
          <Option type="Map">
            <Option name="capstyle" type="QString" value="flat"/>
            <Option name="joinstyle" type="QString" value="round"/>
            <Option name="line_color" type="QString" value="43,111,234,255"/>
            <Option name="line_style" type="QString" value="solid"/>
            <Option name="line_width" type="QString" value="3"/>
            <Option name="line_width_unit" type="QString" value="Pixel"/>
            <Option name="use_custom_dash" type="QString" value="0"/>
            <Option name="customdash" type="QString" value="5;2"/>
            <Option name="customdash_unit" type="QString" value="Pixel"/>
          </Option>
        </layer>
      </symbol>
      <symbol name="2" type="line" alpha="0.9" clip_to_extent="1" force_rhr="0">
        <layer class="SimpleLine" enabled="1" locked="0" pass="0">
          <Option type="Map">
            <Option name="capstyle" type="QString" value="flat"/>
            <Option name="joinstyle" type="QString" value="round"/>
            <Option name="line_color" type="QString" value="15,73,55,255"/>
            <Option name="line_style" type="QString" value="solid"/>
            <Option name="line_width" type="QString" value="3"/>
            <Option name="line_width_unit" type="QString" value="Pixel"/>
            <Option name="use_custom_dash" type="QString" value="0"/>
            <Option name="customdash" type="QString" value="5;2"/>
            <Option name="customdash_unit" type="QString" value="Pixel"/>
          </Option>
        </layer>
      </symbol>
      <symbol name="3" type="line" alpha="0.9" clip_to_extent="1" force_rhr="0">
        <layer class="SimpleLine" enabled="1" locked="0" pass="0">
          <Option type="Map">
            <Option name="capstyle" type="QString" value="flat"/>
            <Option name="joinstyle" type="QString" value="round"/>
            <Option name="line_color" type="QString" value="147,109,12,255"/>
            <Option name="line_style" type="QString" value="solid"/>
            <Option name="line_width" type="QString" value="3"/>
            <Option name="line_width_unit" type="QString" value="Pixel"/>
            <Option name="use_custom_dash" type="QString" value="0"/>
            <Option name="customdash" type="QString" value="5;2"/>
            <Option name="customdash_unit" type="QString" value="Pixel"/>
          </Option>
        </layer>
      </symbol>
      <symbol name="4" type="line" alpha="0.95" clip_to_extent="1" force_rhr="0">
        <layer class="SimpleLine" enabled="1" locked="0" pass="0">
          <Option type="Map">
            <Option name="capstyle" type="QString" value="flat"/>
            <Option name="joinstyle" type="QString" value="round"/>
            <Option name="line_color" type="QString" value="211,84,0,255"/>
            <Option name="line_style" type="QString" value="solid"/>
            <Option name="line_width" type="QString" value="2.5"/>
            <Option name="line_width_unit" type="QString" value="Pixel"/>
            <Option name="use_custom_dash" type="QString" value="1"/>
            <Option name="customdash" type="QString" value="10;6"/>
            <Option name="customdash_unit" type="QString" value="Pixel"/>
          </Option>
        </layer>
      </symbol>
      <symbol name="5" type="line" alpha="0.85" clip_to_extent="1" force_rhr="0">
        <layer class="SimpleLine" enabled="1" locked="0" pass="0">
          <Option type="Map">
            <Option name="capstyle" type="QString" value="flat"/>
            <Option name="joinstyle" type="QString" value="round"/>
            <Option name="line_color" type="QString" value="107,107,107,255"/>
            <Option name="line_style" type="QString" value="solid"/>
            <Option name="line_width" type="QString" value="2"/>
            <Option name="line_width_unit" type="QString" value="Pixel"/>
            <Option name="use_custom_dash" type="QString" value="1"/>
            <Option name="customdash" type="QString" value="4;6"/>
            <Option name="customdash_unit" type="QString" value="Pixel"/>
          </Option>
        </layer>
      </symbol>
      <symbol name="6" type="line" alpha="0.8" clip_to_extent="1" force_rhr="0">
        <layer class="SimpleLine" enabled="1" locked="0" pass="0">
          <Option type="Map">
            <Option name="capstyle" type="QString" value="round"/>
            <Option name="joinstyle" type="QString" value="round"/>
            <Option name="line_color" type="QString" value="139,26,26,255"/>
            <Option name="line_style" type="QString" value="solid"/>
            <Option name="line_width" type="QString" value="3"/>
            <Option name="line_width_unit" type="QString" value="Pixel"/>
            <Option name="use_custom_dash" type="QString" value="1"/>
            <Option name="customdash" type="QString" value="1;7"/>
            <Option name="customdash_unit" type="QString" value="Pixel"/>
          </Option>
        </layer>
      </symbol>
      <symbol name="7" type="line" alpha="0.3" clip_to_extent="1" force_rhr="0">
        <layer class="SimpleLine" enabled="1" locked="0" pass="0">
          <Option type="Map">
            <Option name="capstyle" type="QString" value="flat"/>
            <Option name="joinstyle" type="QString" value="round"/>
            <Option name="line_color" type="QString" value="89,25,103,255"/>
            <Option name="line_style" type="QString" value="solid"/>
            <Option name="line_width" type="QString" value="2"/>
            <Option name="line_width_unit" type="QString" value="Pixel"/>
            <Option name="use_custom_dash" type="QString" value="0"/>
            <Option name="customdash" type="QString" value="5;2"/>
            <Option name="customdash_unit" type="QString" value="Pixel"/>
          </Option>
        </layer>
      </symbol>
      <symbol name="8" type="line" alpha="0.3" clip_to_extent="1" force_rhr="0">
        <layer class="SimpleLine" enabled="1" locked="0" pass="0">
          <Option type="Map">
            <Option name="capstyle" type="QString" value="flat"/>
            <Option name="joinstyle" type="QString" value="round"/>
            <Option name="line_color" type="QString" value="43,111,234,255"/>
            <Option name="line_style" type="QString" value="solid"/>
            <Option name="line_width" type="QString" value="2"/>
            <Option name="line_width_unit" type="QString" value="Pixel"/>
            <Option name="use_custom_dash" type="QString" value="0"/>
            <Option name="customdash" type="QString" value="5;2"/>
            <Option name="customdash_unit" type="QString" value="Pixel"/>
          </Option>
        </layer>
      </symbol>
      <symbol name="9" type="line" alpha="0.3" clip_to_extent="1" force_rhr="0">
        <layer class="SimpleLine" enabled="1" locked="0" pass="0">
          <Option type="Map">
            <Option name="capstyle" type="QString" value="flat"/>
            <Option name="joinstyle" type="QString" value="round"/>
            <Option name="line_color" type="QString" value="15,73,55,255"/>
            <Option name="line_style" type="QString" value="solid"/>
            <Option name="line_width" type="QString" value="2"/>
            <Option name="line_width_unit" type="QString" value="Pixel"/>
            <Option name="use_custom_dash" type="QString" value="0"/>
            <Option name="customdash" type="QString" value="5;2"/>
            <Option name="customdash_unit" type="QString" value="Pixel"/>
          </Option>
        </layer>
      </symbol>
      <symbol name="10" type="line" alpha="0.3" clip_to_extent="1" force_rhr="0">
        <layer class="SimpleLine" enabled="1" locked="0" pass="0">
          <Option type="Map">
            <Option name="capstyle" type="QString" value="flat"/>
            <Option name="joinstyle" type="QString" value="round"/>
            <Option name="line_color" type="QString" value="147,109,12,255"/>
            <Option name="line_style" type="QString" value="solid"/>
            <Option name="line_width" type="QString" value="2"/>
            <Option name="line_width_unit" type="QString" value="Pixel"/>
            <Option name="use_custom_dash" type="QString" value="0"/>
            <Option name="customdash" type="QString" value="5;2"/>
            <Option name="customdash_unit" type="QString" value="Pixel"/>
          </Option>
        </layer>
      </symbol>
    </symbols>
  </renderer-v2>
  <layerGeometryType>1</layerGeometryType>
</qgis>
