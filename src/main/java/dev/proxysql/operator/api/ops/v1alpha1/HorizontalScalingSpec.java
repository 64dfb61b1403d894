package dev.proxysql.operator.api.ops.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;

/** The replica count a HorizontalScaling request moves to; KubeDB allows 3 to 50. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class HorizontalScalingSpec {
    @Min(3)
    @Max(50)
    private Integer member;

    public Integer getMember() {
        return member;
    }


    public void setMember(Integer member) {
        this.member = member;
    }
}
